"""Messages to candidates: the outbox, the rejection email, delivery and suppression."""
