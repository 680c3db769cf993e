"""A person's API tokens end when what they may do changes under them: a new password, any role given,
changed or taken away (a token never carries more than its maker could do when it was made), and a reset
of their two-factor sign-in (hruf/otp/services.py calls revoke_all_tokens itself).

A role change also ends their sessions (User.access_epoch, part of the session's hash), so a reassigned
officer signs in again, and one promoted to a role that needs two-factor passes it first. Their export
files follow their scope on their own (exports/views.py)."""

from django.db.models import F
from django.db.models.signals import post_delete, post_save, pre_save
from django.dispatch import receiver

from .api.tokens import revoke_all_tokens
from .models import RoleAssignment, User


@receiver([post_save, post_delete], sender=RoleAssignment, dispatch_uid="tokens_end_with_a_role_change")
def _role_changed(sender, instance, **kwargs):
    revoke_all_tokens(instance.user, why="role_changed")
    User.objects.filter(pk=instance.user_id).update(access_epoch=F("access_epoch") + 1)
    instance.user.refresh_from_db(fields=["access_epoch"])  # the caller's copy signs in with the new hash


@receiver(pre_save, sender=User, dispatch_uid="tokens_end_with_a_new_password")
def _password_changed(sender, instance, **kwargs):
    # set_password() leaves the new raw password on the instance until the save that stores its hash.
    if instance.pk is not None and getattr(instance, "_password", None) is not None:
        revoke_all_tokens(instance, why="password_changed")
