"""See docs/architecture.md: this app is created now so the layout is visible; its issue fills it."""
