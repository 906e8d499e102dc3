"""Helpers of the browser tests."""

# Added with page.add_init_script / context.add_init_script; read back with csp_violations(page).
CSP_WATCH = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (event) => {
    window.__cspViolations.push(event.violatedDirective + " " + event.blockedURI);
});
"""


def csp_violations(page) -> list[str]:
    return page.evaluate("window.__cspViolations || []")
