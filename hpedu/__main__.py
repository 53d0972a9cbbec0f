from hpedu.cli import main

raise SystemExit(main())
