"""The admin as editors use it: forms, roles, history, locking, publishing, figures, text input, uploads."""
