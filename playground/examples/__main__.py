from playground.examples import main

raise SystemExit(main())
