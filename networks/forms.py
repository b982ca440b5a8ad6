"""The coordinator's form for joining a network."""

from crispy_forms_gds.layout import Field, Size
from django import forms

from assessments.forms.gov import GovFormMixin, gov_helper

from .models import Network

CHOOSE = "Select the network to join"


class NetworkJoinForm(GovFormMixin, forms.Form):
    network = forms.TypedChoiceField(
        widget=forms.RadioSelect,
        coerce=int,
        label="Which network do you want to join?",
        error_messages={"required": CHOOSE, "invalid_choice": CHOOSE},
    )

    def __init__(self, *args, networks: list[Network], **kwargs):
        """`networks`, loaded once by the view, are both the radios and what may be chosen."""
        super().__init__(*args, **kwargs)
        self.networks = {network.pk: network for network in networks}
        self.fields["network"].choices = [(network.pk, network.name) for network in networks]
        self.helper = gov_helper(
            Field.radios("network", legend_size=Size.MEDIUM), submit="Join network"
        )

    def clean_network(self) -> Network:
        return self.networks[self.cleaned_data["network"]]
