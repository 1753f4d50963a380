from flask_babel import lazy_gettext as _l
from wtforms import SelectMultipleField
from wtforms.widgets import CheckboxInput, ListWidget

from app.web.forms import BaseForm


class RolesForm(BaseForm):
    roles = SelectMultipleField(
        _l("Granted roles"),
        widget=ListWidget(prefix_label=False),
        option_widget=CheckboxInput(),
        validate_choice=False,
    )
