"""The admin creates, edits, archives and restores programmes, or starts one from a previous programme."""
