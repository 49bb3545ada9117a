"""Request and response shapes, one family per resource: XCreate, XUpdate, XPublic, XsPublic."""
