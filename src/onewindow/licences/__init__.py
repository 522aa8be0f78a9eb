"""证照 (licences): the register of every licence, certificate or approval document issued on an approval, its
validity, reminders before expiry, renewal (延续, art. 50), revocation (撤销, art. 69) and cancellation (注销, art. 70).
"""
