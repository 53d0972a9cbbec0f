"""`hpedu serve`: the app for a whole class in their browsers, on textual-serve.

- config.py: the settings, validated before anything starts (pure);
- server.py: the web server (textual-serve's Server and AppService, the only
  place they are used) — join code, session cap, tickets, idle limit;
- guard.py: wrong join codes counted per address, the page's origin checked (pure);
- session.py: the process started for each browser tab;
- pages.py: the HTML pages.
"""
