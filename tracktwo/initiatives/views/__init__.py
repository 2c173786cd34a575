"""Pages of conveners and initiative members: the initiative, its members."""
