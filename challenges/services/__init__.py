"""Every write to challenges, one module per area: challenges, bids, reviews, milestones, problems,
qa, attachments, reminders. Each function is keyword-only, runs in one transaction, checks the
actor's permission, validates, records an audit entry and emits live events on commit."""
