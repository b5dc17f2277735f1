"""`make bench`: the site under load with production settings (see bench/README.md)."""
