"""The relationship step's queries and writes (`uow.relationship`)."""
