"""社区门户 static portal builder: load → validate → model → render → write."""
