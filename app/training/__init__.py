"""Training catalogue, nominations and the leadership approval workflow (Plt/Plh aware)."""
