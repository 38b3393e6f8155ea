"""The workbench's routes: log-in, pages (HTML), and the JSON API."""
