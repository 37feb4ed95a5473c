"""Ideas: frontline suggestions, their responses, reminders and huddle boards."""
