"""The ground floor: session, scoping, accounts, audit, languages, forms and rendering; imports no domain."""
