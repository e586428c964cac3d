import { queryGrams, storedGrams } from '../../src/domain/text/cjk-grams';

test('a query looks up a lone character itself, a longer run by its adjacent pairs', () => {
  expect(queryGrams('王')).toEqual(['王']);
  expect(queryGrams('王小明')).toEqual(['王小', '小明']);
  expect(queryGrams('li 王 wei')).toEqual(['王']);
  expect(queryGrams('ada lovelace')).toEqual([]);
  expect(queryGrams('𠀀𠀁')).toEqual(['𠀀𠀁']);
});

test('a text stores every character and every adjacent pair of each run', () => {
  expect(storedGrams('王小明 住在 北京').sort()).toEqual(
    ['王', '小', '明', '王小', '小明', '住', '在', '住在', '北', '京', '北京'].sort(),
  );
  expect(storedGrams('さくら 김')).toEqual(['さ', 'く', 'ら', 'さく', 'くら', '김']);
  expect(storedGrams('no cjk here')).toEqual([]);
});

test('what a query looks up is always among what its own text stores', () => {
  for (const text of ['王', '王小明', '朝阳区建国路88号', 'x田中さくらy']) {
    const stored = new Set(storedGrams(text));
    for (const gram of queryGrams(text)) expect(stored.has(gram)).toBe(true);
  }
});
