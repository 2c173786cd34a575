"""The back-channel: party caucuses and facilitator-carried messages between meetings."""
