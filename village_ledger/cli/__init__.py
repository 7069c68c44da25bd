"""The `village-ledger` command line: argument parsing, paths and output formats only."""
