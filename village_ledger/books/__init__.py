"""The accounting centre's books: 记账凭证 printing and, built on the model's figures, the
standard books and statements a village's books are kept in."""
