"""Dispatch intelligence: suggests the lead unit (and category) for an order from its text."""
