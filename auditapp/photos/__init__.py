"""Photo evidence: privacy-safe ingest, the content-addressed store, annotation layers."""
