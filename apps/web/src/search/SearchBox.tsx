import { useEffect, useState } from 'react';
import { Input } from 'antd';
import { useLocation, useNavigate, useSearchParams } from 'react-router-dom';
import { useSearchText } from './texts';

/** The shell's search box: leads to the search page with the words typed, and shows them there. */
export function SearchBox({ wide }: { wide: boolean }) {
  const { tx } = useSearchText();
  const navigate = useNavigate();
  const location = useLocation();
  const [params] = useSearchParams();
  const current = location.pathname === '/search' ? (params.get('q') ?? '') : '';
  const [text, setText] = useState(current);
  useEffect(() => setText(current), [current]);
  return (
    <Input.Search
      aria-label={tx('box')}
      placeholder={tx(wide ? 'placeholder' : 'box')}
      value={text}
      onChange={(e) => setText(e.target.value)}
      onSearch={(value) => navigate(`/search?q=${encodeURIComponent(value.trim())}`)}
      allowClear
      maxLength={200}
      // On a phone the box keeps room for a few words; the agency's name gives way (it is cut with an ellipsis).
      style={wide ? { flex: 1, minWidth: 0, maxWidth: 480 } : { flex: '1 0 120px' }}
    />
  );
}
