"""Plain helper modules the whole site uses (not an app): middleware, request logs, the health
check and the template context. lsp_framework/ holds only settings, urls and wsgi."""
