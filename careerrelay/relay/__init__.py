"""The Career Relay network: anonymised profiles shared with partner companies."""
