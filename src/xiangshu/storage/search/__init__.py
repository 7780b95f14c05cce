"""Search indexes: derived from the metadata store, rebuilt by a command, caught up
with the store's change counter before every query."""
