"""Sign-in, sign-out, invitations and password reset."""
