"""Every write of the showcase: achievements, rounds, transfer. See docs/showcase.md."""
