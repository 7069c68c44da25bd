"""Bank statements: reading them (`statement`), the layouts of each bank (`formats`), ticking
them off against the books (`matching`) and the beangulp importer (`importer`)."""
