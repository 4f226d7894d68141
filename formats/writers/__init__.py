"""Writers of the documents the ledger publishes: xlsx, csv (with CSVW), json and html."""
