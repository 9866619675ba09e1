"""The signed-in home page that sends each person to their role's home."""
