"""One search box for the whole hub: irritants, collectivities, workshops and decisions, found by words in French."""
