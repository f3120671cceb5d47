"""专家咨询: members and studios ask the expert committees, experts answer in a private thread, and
answered questions may become public Q&A (docs/consulting.md)."""
