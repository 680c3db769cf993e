"""A person's API tokens end when what they may do changes under them: a new password, any role given,
changed or taken away (a token never carries more than its maker could do when it was made), and a reset
of their two-factor sign-in (hruf/otp/services.py calls revoke_all_tokens itself)."""

from django.db.models.signals import post_delete, post_save, pre_save
from django.dispatch import receiver

from .api.tokens import revoke_all_tokens
from .models import RoleAssignment, User


@receiver([post_save, post_delete], sender=RoleAssignment, dispatch_uid="tokens_end_with_a_role_change")
def _role_changed(sender, instance, **kwargs):
    revoke_all_tokens(instance.user, why="role_changed")


@receiver(pre_save, sender=User, dispatch_uid="tokens_end_with_a_new_password")
def _password_changed(sender, instance, **kwargs):
    # set_password() leaves the new raw password on the instance until the save that stores its hash.
    if instance.pk is not None and getattr(instance, "_password", None) is not None:
        revoke_all_tokens(instance, why="password_changed")
