"""Server-rendered pages: templates, static assets and the HTML views."""
