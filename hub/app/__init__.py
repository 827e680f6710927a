"""The composition root: the app factory, the command line, the demo and the home dashboard."""
