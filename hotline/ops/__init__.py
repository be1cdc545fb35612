"""Production operations: backup and restore of the database and the attachments."""
