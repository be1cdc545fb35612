"""Security: login lockout, the record of every unmasked look at a citizen's phone, masking of
phone numbers in logs and exports."""
