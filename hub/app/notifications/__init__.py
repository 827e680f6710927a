"""Notifications: the list, the header's unread counter, each person's choices, following an irritant, the digest.

Who is told of what (hub/core/notifications.py decides, the domains call it):

- a référent proposes an irritant → the project team (admins and facilitators); the proposer follows it;
- an irritant's status changes → its collectivity's référents and its followers;
- a comment → the irritant's followers but its author; commenting makes one a follower;
- a decision of the steering committee → the référents of each irritant it covers and their followers;
- the team validates a usage month or survey results, or accepts or refuses a correction → that collectivity's
  référents.

Nobody is told of what they did themselves, and a référent only ever of their own collectivity's objects. The
steering committee reads and posts nothing, so it follows nothing and receives nothing.

Each person chooses, per kind of event, « in the hub only », « by e-mail at once » or « a daily digest ». Defaults:
the team gets proposals by e-mail at once (a proposal waits for its review); everything else, for everyone, is in
the hub and in the daily digest. E-mails go out only with a mail server (MAIL_SERVER).

The daily digest is a command, to run once a day from cron, for example at 7:00::

    0 7 * * *  cd /srv/hub && HUB_BASE_URL=https://hub.example.fr .venv/bin/hub notifications digest

It e-mails each person their unread digest notifications not yet e-mailed, in their language, and marks them
e-mailed: running it twice sends nothing new. ``--base-url`` (or ``HUB_BASE_URL``) is the hub's address for links.
"""
