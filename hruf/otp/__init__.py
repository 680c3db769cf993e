"""Two-factor sign-in (TOTP, with backup codes) on top of django-otp.

Offered to everyone; required for EOSG staff and administrators, who reach nothing but the
enrolment page until they have a device, and nothing but the code page until they type a code.
"""
