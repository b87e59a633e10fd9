import { SCREENS, SCREEN_TITLES, useNavigation } from '../store/navigation';

export function Sidebar() {
  const { screen, go } = useNavigation();
  return (
    <nav className="sidebar" aria-label="Main">
      <div className="brand">Treasury</div>
      <ul>
        {SCREENS.map((name) => (
          <li key={name}>
            <button
              type="button"
              className={name === screen ? 'nav-item nav-item--active' : 'nav-item'}
              aria-current={name === screen ? 'page' : undefined}
              onClick={() => go(name)}
              data-testid={`nav-${name}`}
            >
              {SCREEN_TITLES[name]}
            </button>
          </li>
        ))}
      </ul>
    </nav>
  );
}
