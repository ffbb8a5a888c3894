"""`xl-addin serve`: the KPIs Office add-in for Excel on Windows, Mac and the web, with no Python
on the analysts' PCs. `create_app(options)` (in `xl_addin.server.app`) is the FastAPI app;
`xl_addin.server.cli.register` adds the command. See docs/office-addin.md.
"""
