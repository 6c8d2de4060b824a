"""The self-check page: a person checks one call-up against a rulebook; nothing is kept."""
