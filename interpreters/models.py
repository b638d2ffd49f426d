# Interpreters, availability and bookings arrive with their own issue
# (DESIGN §5); the app exists now so that the layout is the one we keep.
