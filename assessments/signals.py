"""What the assessments app tells the apps above it, without importing them.

Both are sent inside the transaction of the change, after it, so a receiver (the reports app's
disclosure gate) acts on it whole or not at all. The gate locks the round's row first: every
transaction that changes a submitted response waits there before it commits, so a snapshot sees
a state that no such change can alter while it is taken.
"""

from django.dispatch import Signal

# A submitted response has changed: it was submitted, or amended afterwards. Sent with `round_id`.
response_changed = Signal()
# A round has closed. Sent with `round`.
round_closed = Signal()
