"""Setting up events: days, breaks and the slot grid."""
