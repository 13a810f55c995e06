from ecrf.cli import main

raise SystemExit(main())
