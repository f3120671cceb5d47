"""Every write of alliances: one module per area (rooms and chat, teams, alliances, mentor pairs,
presence). Other apps open rooms through `rooms.room_create` (docs/alliances.md)."""
