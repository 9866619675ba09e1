"""Sign-in and password forms."""

from flask_wtf import FlaskForm
from wtforms import EmailField, HiddenField, PasswordField, StringField
from wtforms.validators import DataRequired, Email, EqualTo, Length


class SignInForm(FlaskForm):
    email = EmailField(
        "Email address",
        validators=[DataRequired("Enter your email address"), Length(max=254)],
    )
    password = PasswordField("Password", validators=[DataRequired("Enter your password")])
    #: A form the user was sending when their session ended (see ``access.keeps_typed_input``).
    draft = HiddenField()


class ForgotPasswordForm(FlaskForm):
    email = EmailField(
        "Email address",
        validators=[
            DataRequired("Enter your email address"),
            Email("Enter an email address in the correct format, like name@example.nhs.uk"),
            Length(max=254),
        ],
    )


class NewPasswordForm(FlaskForm):
    password = PasswordField("New password", validators=[DataRequired("Enter a new password")])
    confirm = PasswordField(
        "Confirm new password",
        validators=[
            DataRequired("Confirm your new password"),
            EqualTo("password", "The passwords do not match"),
        ],
    )


class InviteForm(FlaskForm):
    email = EmailField(
        "Email address",
        validators=[
            DataRequired("Enter their email address"),
            Email("Enter an email address in the correct format, like name@example.nhs.uk"),
            Length(max=254),
        ],
    )
    name = StringField("Full name", validators=[DataRequired("Enter their name"), Length(max=200)])


class SecondFactorForm(FlaskForm):
    """The six-digit code from the authenticator app."""

    code = StringField(
        "Security code",
        validators=[
            DataRequired("Enter the 6-digit code from your authenticator app"),
            Length(max=20, message="Enter the 6-digit code from your authenticator app"),
        ],
    )
    draft = HiddenField()


class SetUpSecondFactorForm(FlaskForm):
    """Confirm a new authenticator app (or prove it, to turn the second factor off)."""

    code = StringField(
        "Security code from your app",
        validators=[
            DataRequired("Enter the 6-digit code your authenticator app shows"),
            Length(max=20, message="Enter the 6-digit code your authenticator app shows"),
        ],
    )
