"""`{% fragment "name" value ... [when=expr] %}...{% endfragment %}`: see core/fragments.py."""

from django import template

from core.fragments import cached_fragment

register = template.Library()


class FragmentNode(template.Node):
    def __init__(self, nodelist, values, when):
        self.nodelist = nodelist
        self.values = values
        self.when = when

    def render(self, context):
        if self.when is not None and not self.when.resolve(context):
            return self.nodelist.render(context)
        # Where the tag stands makes it unique; the values make its variants.
        key = (
            getattr(self.origin, "name", ""),
            self.token.lineno if self.token else 0,
            *(str(value.resolve(context)) for value in self.values),
        )
        return cached_fragment(context.get("request"), key, lambda: self.nodelist.render(context))


@register.tag
def fragment(parser, token):
    bits = token.split_contents()[1:]
    if not bits:
        raise template.TemplateSyntaxError("{% fragment %} needs a name.")
    values, when = [], None
    for bit in bits:
        if bit.startswith("when="):
            when = parser.compile_filter(bit[len("when=") :])
        else:
            values.append(parser.compile_filter(bit))
    nodelist = parser.parse(("endfragment",))
    parser.delete_first_token()
    return FragmentNode(nodelist, values, when)
