from ecrf.cli.main import main

raise SystemExit(main())
